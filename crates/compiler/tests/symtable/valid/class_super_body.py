class C:
    super()
