"""The register of external documents (issue 17, item 8): the laws, decrees, circulars and
standards the quality system rests on, kept as controlled documents of type "external" with
their issuing body, number and symbol, date, status and the next date to check them."""
