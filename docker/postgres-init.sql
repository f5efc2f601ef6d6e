-- One database per service (database-per-service).
CREATE DATABASE auth;
CREATE DATABASE wallet;
CREATE DATABASE "transaction";
CREATE DATABASE fraud;
CREATE DATABASE history;
CREATE DATABASE loan;
CREATE DATABASE "order";
CREATE DATABASE payment;
CREATE DATABASE notification;
