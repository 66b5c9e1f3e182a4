"""Small Scholl instances copied from the SALBP data set, with their known optima."""

from __future__ import annotations

# Scholl's .IN2 files (CRLF line ends as distributed); optima from scholl-salbp1-optima.csv.
MERTENS = (
    "7\r\n1\r\n5\r\n4\r\n3\r\n5\r\n6\r\n5\r\n1,2\r\n1,4\r\n2,3\r\n2,5\r\n4,7\r\n5,6\r\n-1,-1\r\n"
)
MERTENS_OPTIMA = {6: 6, 7: 5, 8: 5, 10: 3, 15: 2, 18: 2}

BOWMAN8 = (
    "8\r\n11\r\n17\r\n9\r\n5\r\n8\r\n12\r\n10\r\n3\r\n"
    "1,2\r\n2,3\r\n2,4\r\n3,5\r\n3,6\r\n4,6\r\n5,7\r\n6,8\r\n-1,-1\r\n"
    "\r\n\r\nBowman (1960, p. 385)\r\n"
)
BOWMAN8_OPTIMA = {20: 5}

JAESCHKE = (
    "9\r\n5\r\n3\r\n4\r\n5\r\n4\r\n5\r\n1\r\n4\r\n6\r\n"
    "1,2\r\n1,3\r\n2,4\r\n3,4\r\n4,5\r\n4,6\r\n4,7\r\n5,8\r\n6,9\r\n7,9\r\n8,9\r\n-1,-1\r\n"
)
JAESCHKE_OPTIMA = {6: 8, 7: 7, 8: 6, 10: 4, 18: 3}
