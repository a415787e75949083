"""kb/index"""
