"""Reports (báo cáo): period -> context (plain data) -> renderers (Word, Excel).

The context is a plain dict, the only thing renderers see. Its shape is shown by
``sample_context()`` in core/reports/sample.py (used by tests and as documentation).
"""
