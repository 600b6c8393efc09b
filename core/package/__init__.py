"""The USB exchange package (.cdsx): one period's data carried from a commune to the district.

container: the ZIP with its manifest and hashes (open_package checks everything first);
safe_write: writing to a USB stick without ever leaving half a file; drives: the USB drives present.
The records inside a package are described by records.py.
"""
