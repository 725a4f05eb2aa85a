f = lambda: lambda: lambda: x
