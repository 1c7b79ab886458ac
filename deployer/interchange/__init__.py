"""Reading and writing other formats: spreadsheets, PDF, calendars, benchmark instances."""
