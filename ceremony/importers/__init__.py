"""Parsers: a file in, validated rows or a ceremony spec out. They write nothing; the one import
writer is `ceremony.services.imports`.
"""
