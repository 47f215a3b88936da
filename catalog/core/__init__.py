"""The catalog's pure-Python core: no Django import, so worker processes and tools can use it alone."""
