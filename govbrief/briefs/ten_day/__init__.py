"""The 旬简报: one 旬's safety figures and the debt red flags."""
