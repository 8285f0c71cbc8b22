"""Ops: what the operators are told — failure notices for runs that failed or crashed."""
