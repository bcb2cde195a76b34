-- smoke: the dataset is there
SELECT COUNT(*) FROM customer;
