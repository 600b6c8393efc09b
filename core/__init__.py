"""Core of the digital-transformation communication log: no Qt here, ever."""

APP_NAME = "Sổ tuyên truyền chuyển đổi số"
APP_ID = "so-tuyen-truyen-cds"
APP_ORG = "so-tuyen-truyen-cds"
__version__ = "0.1.0"
