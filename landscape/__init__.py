"""Treatment landscape of HER2-positive advanced gastric and GEJ cancer: data, filters, statistics
and figures, importable without Streamlit."""

__version__ = "1.0.0"
