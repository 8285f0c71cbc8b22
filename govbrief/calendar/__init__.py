"""The calendar: periods (旬/月/季/半年/年, 同比/环比, 序时进度), China's working days, return deadlines."""
