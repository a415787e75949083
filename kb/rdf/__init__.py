"""kb/rdf"""
