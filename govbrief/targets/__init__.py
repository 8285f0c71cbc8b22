"""The city's target table (config/targets/<year>.csv): quotas, debt tasks, fiscal capacity, GDP,
key-task targets and the stocks carried into the year."""
