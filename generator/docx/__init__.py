"""generator/docx"""
