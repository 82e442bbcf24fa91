"""Open Referral HSDS 3.0 for the directory: the read-only API (``api.py``), the tabular
data package (``package.py``) and its importer (``importer.py``). docs/interoperability.md."""
