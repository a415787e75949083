"""kb/serve"""
