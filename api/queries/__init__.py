"""Query root, combined from one mixin per resource."""
