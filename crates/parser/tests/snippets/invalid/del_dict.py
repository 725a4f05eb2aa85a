del {}
