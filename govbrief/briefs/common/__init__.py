"""What the three briefs share: the 总体情况 sentences, the safety tables, 报送情况, 下步工作."""
