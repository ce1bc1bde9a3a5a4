# magnetar in a container: the same Debian 12 packages and build as
# scripts/run, then `magnetar up` (hub, embedded PostgreSQL and a crawler
# node in one process) with its state in the /var/lib/magnetar volume.
# Used by docker-compose.yml; see README "Docker".
FROM debian:12
WORKDIR /src
COPY . .
RUN scripts/install-deps \
 && scripts/build --dir /tmp/magnetar-build --type Release -DMAGNETAR_TESTS=OFF \
 && install -m 0755 /tmp/magnetar-build/app/magnetar /usr/local/bin/magnetar \
 && rm -rf /tmp/magnetar-build /var/lib/apt/lists/*
ENV MAGNETAR_DATA_DIR=/var/lib/magnetar \
    MAGNETAR_API_LISTEN=0.0.0.0:7880
VOLUME /var/lib/magnetar
# 7880: the public gRPC API; 6881/udp: the DHT; 6882: the keeper's peer port.
EXPOSE 7880 6881/udp 6882
ENTRYPOINT ["magnetar"]
CMD ["up"]
