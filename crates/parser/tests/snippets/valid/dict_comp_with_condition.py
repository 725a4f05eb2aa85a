{k: v for k, v in x if k if v}
