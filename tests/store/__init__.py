"""Tests of the local store, ticket numbering and sync against real databases."""
