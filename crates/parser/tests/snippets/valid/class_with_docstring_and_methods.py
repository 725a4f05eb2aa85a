class C(Base):
    '''Doc.'''

    attr: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
