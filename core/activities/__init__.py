"""Activities (hoạt động tuyên truyền): model, filters, repository, service."""
