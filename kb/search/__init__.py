"""kb/search"""
