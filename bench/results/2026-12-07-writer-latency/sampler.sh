#!/bin/bash
# one line a second: time, io some avg10, cpu some avg10, Dirty kB, Writeback kB, disk write kB/s
prev=$(awk '$3=="vda"{print $10}' /proc/diskstats)
while [ ! -e /tmp/sampler.stop ]; do
  sleep 1
  cur=$(awk '$3=="vda"{print $10}' /proc/diskstats)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s.%N)" "$(awk '/^some/{print $2}' /proc/pressure/io)" "$(awk '/^some/{print $2}' /proc/pressure/cpu)" \
    "$(awk '/^Dirty:/{print $2}' /proc/meminfo)" "$(awk '/^Writeback:/{print $2}' /proc/meminfo)" "$(( (cur-prev)/2 ))"
  prev=$cur
done
