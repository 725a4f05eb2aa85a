FROM = "extra_dir"
