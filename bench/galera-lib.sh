# A 3-node MariaDB Galera cluster on loopback for the benchmarks (sourced by galera.sh and online.sh after lib.sh):
# galera_start (fresh datadirs, RES for its install log), galera_stop; GP holds the nodes' SQL ports, GCNF a client
# config for node 1.
G=$BENCH_DATA/galera; GP=(0 3321 3322 3323); GM=(0 4421 4422 4423); GI=(0 4431 4432 4433); GS=(0 4441 4442 4443)
GCNF="$BENCH_DATA/client-galera.cnf"
galera_stop() { pkill -9 -f "$G/n" 2>/dev/null || true; }
galera_start() {
  galera_stop; sleep 1; rm -rf "$G"; mkdir -p "$G"; chmod 755 "$G"
  local i; for i in 1 2 3; do mkdir -p "$G/n$i/data" "$G/n$i/tmp"; done; chown -R mysql:mysql "$G"
  mariadb-install-db --no-defaults --datadir="$G/n1/data" --user=mysql --auth-root-authentication-method=socket --skip-test-db > "$RES/galera-install.log" 2>&1
  local peers="gcomm://127.0.0.1:${GM[1]},127.0.0.1:${GM[2]},127.0.0.1:${GM[3]}"
  node() {
    local i=$1; shift
    setsid nohup mariadbd --no-defaults --user=mysql --datadir="$G/n$i/data" --tmpdir="$G/n$i/tmp" --port="${GP[$i]}" --bind-address=127.0.0.1 \
      --socket="$G/n$i/s.sock" --pid-file="$G/n$i/pid" --log-error="$G/n$i/error.log" --skip-name-resolve \
      --innodb-buffer-pool-size="${GALERA_POOL:-1G}" --innodb-log-file-size=512M --innodb-flush-log-at-trx-commit=2 --local-infile=1 \
      --max-allowed-packet=256M --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --secure-file-priv=/tmp \
      --wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so --wsrep-cluster-address="$peers" --wsrep-cluster-name=mm-bench \
      --wsrep-node-name="n$i" --wsrep-node-address="127.0.0.1:${GM[$i]}" --wsrep-node-incoming-address="127.0.0.1:${GP[$i]}" \
      --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:${GM[$i]};ist.recv_addr=127.0.0.1:${GI[$i]};base_port=${GM[$i]}" \
      --wsrep-sst-receive-address="127.0.0.1:${GS[$i]}" --wsrep-sst-method=rsync --binlog-format=ROW --innodb-autoinc-lock-mode=2 \
      "$@" > /dev/null 2>&1 < /dev/null &
  }
  synced() { [ "$(mariadb --no-defaults -S "$G/n$1/s.sock" -uroot -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = Synced ]; }
  node 1 --wsrep-new-cluster
  for _ in $(seq 1 120); do synced 1 && break; sleep 1; done
  mariadb --no-defaults -S "$G/n1/s.sock" -uroot -e "CREATE USER '$BENCH_USER'@'127.0.0.1' IDENTIFIED BY '$BENCH_PASS'; GRANT ALL ON *.* TO '$BENCH_USER'@'127.0.0.1' WITH GRANT OPTION"
  for i in 2 3; do node "$i"; for _ in $(seq 1 180); do synced "$i" && break; sleep 1; done; synced "$i" || { echo "galera node $i did not sync"; exit 1; }; done
  printf '[client]\nhost=127.0.0.1\nport=%s\nuser=%s\npassword=%s\ndefault-character-set=utf8mb4\n' "${GP[1]}" "$BENCH_USER" "$BENCH_PASS" > "$GCNF"
  chmod 600 "$GCNF"
}
