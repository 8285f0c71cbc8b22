"""The inbox: watching the drop locations between briefs, the briefs a late return made stale,
and 【紧急】 alerts a mail outage kept back."""
