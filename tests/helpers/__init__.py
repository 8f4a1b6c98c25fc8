"""Fakes and builders the tests share (imported, never fixtures): a clock tests move by
hand, and nodes and sites set up as ``madoguchi init`` would."""
