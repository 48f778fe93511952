#!/usr/bin/env bash
echo "bindings-c: not built yet"
