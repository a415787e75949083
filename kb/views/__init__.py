"""kb/views"""
