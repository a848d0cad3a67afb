"""Marketing models on plain data: lead scoring now, customer segments and lifetime value later.

A library like `recommender/`: it never sees ORM objects and never reads the environment.
`marketing.tabular` is the shared training code for tabular data (used by the CRM training
and by the bank-marketing benchmark alike); `marketing.lead_scoring` turns a lead's form
answers into features, a calibrated probability, a grade and reasons in words.
"""
