            $table->string('ip_address', 45)->nullable();
