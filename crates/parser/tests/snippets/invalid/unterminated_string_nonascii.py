x = 'héllo wörld
