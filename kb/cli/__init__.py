"""kb/cli"""
