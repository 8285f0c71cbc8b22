"""The 月通报: the month's safety figures, the county ranking, debt, key tasks and the ladder."""
