"""Validation of a data directory against the one schema: frictionless for types, constraints, keys and
foreign keys (structure); the checks a table schema cannot express on top, one module per table (agents,
trials, outcomes, eligibility, safety, events) and those several tables share (common). Every problem
names file, row and column (problems); package runs them all."""

from landscape.validate.package import cross_field_problems, read_raw_tables, validate_data_dir
from landscape.validate.problems import Problem

__all__ = ["Problem", "cross_field_problems", "read_raw_tables", "validate_data_dir"]
