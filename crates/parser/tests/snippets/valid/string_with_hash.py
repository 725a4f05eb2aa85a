x = '# not a comment'
