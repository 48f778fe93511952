#!/usr/bin/env bash
echo "bindings-node: not built yet"
