"""The 季总结: the 月通报 over the quarter, plus trends, 约谈 lists, follow-ups, bands and 表扬."""
