s = 'héllo'; 'wörld' = s
