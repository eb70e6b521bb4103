#!/bin/sh
# gen.sh N: a testbed of N domains, N/50+1 networks, one volume per domain
n=$1; nets=$((n / 50 + 1))
echo "testbed: gen$n"
echo "storagevolumes:"
i=0; while [ $i -lt $n ]; do echo "  - {name: v$i, size: 1}"; i=$((i+1)); done
echo "networks:"
k=0; while [ $k -lt $nets ]; do echo "  - {name: n$k, address: 10.$((k/250)).$((k%250)).1/24, dhcp: {start: 10.$((k/250)).$((k%250)).100, end: 10.$((k/250)).$((k%250)).200}}"; k=$((k+1)); done
echo "domains:"
i=0; while [ $i -lt $n ]; do k=$((i / 50)); h=$((i % 50 + 10)); echo "  - {name: d$i, cpu: 1, memory: 128M, graphics: none, netifs: [{network: n$k, ip: 10.$((k/250)).$((k%250)).$h}], disks: [{device: vda, storage_volume: v$i}]}"; i=$((i+1)); done
