INSERT INTO accounts (id, email, name, active, roles)
VALUES (DEFAULT, 'admin@example.com', 'Admin Example', true, '{admin}');

