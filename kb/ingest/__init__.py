"""kb/ingest"""
