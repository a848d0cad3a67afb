"""Marketing models on plain data: lead scoring, customer segments, lifetime value, experiments.

A library like `recommender/`: it never sees ORM objects and never reads the environment.
`marketing.tabular` is the shared training code for tabular data (used by the CRM training
and by the bank-marketing benchmark alike); `marketing.lead_scoring` turns a lead's form
answers into features, a calibrated probability, a grade and reasons in words.
`marketing.segmentation` scores customers by RFM and clusters them by behaviour, and
`marketing.clv` fits BG/NBD + Gamma-Gamma for discounted customer lifetime value, and
`marketing.experiments` is the Thompson sampling behind message experiments.
"""
