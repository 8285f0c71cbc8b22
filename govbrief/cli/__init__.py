"""The command line: the Typer app and every command, the one front door for people (the only
core package that reaches flows/ and tasks/, lazily, inside the commands that run Prefect)."""
