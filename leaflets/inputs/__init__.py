"""What the user writes: campaigns, the number registry, formats, print.yaml."""
