"""The scope of the quality system (TCVN ISO 9001:2015 at an agency, QĐ 19/2014/QĐ-TTg): the
administrative procedures and internal processes it covers (issue 17, item 1)."""
