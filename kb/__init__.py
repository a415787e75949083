"""Knowledge base for Dutch municipal youth-care purchasing (jeugdhulp inkoop)."""

__version__ = "0.1.0"
