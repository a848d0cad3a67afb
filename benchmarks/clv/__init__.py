"""CLV benchmark on UCI Online Retail: BG/NBD + Gamma-Gamma beside a rate extrapolation."""
